import mathx


def test_quot():
    assert mathx.quot(9, 2) == 4


def test_dec():
    assert mathx.dec(5) == 4


def test_rem():
    assert mathx.rem(7, 2) == 1
