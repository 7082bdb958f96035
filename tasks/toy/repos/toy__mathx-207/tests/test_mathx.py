import mathx


def test_sub():
    assert mathx.sub(7, 4) == 3


def test_dec():
    assert mathx.dec(5) == 4


def test_rem():
    assert mathx.rem(7, 4) == 3
