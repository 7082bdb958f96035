import mathx


def test_quot():
    assert mathx.quot(7, 3) == 2


def test_dec():
    assert mathx.dec(4) == 3


def test_sub():
    assert mathx.sub(6, 2) == 4
