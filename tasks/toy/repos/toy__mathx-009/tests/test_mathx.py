import mathx


def test_dec():
    assert mathx.dec(3) == 2


def test_mul():
    assert mathx.mul(6, 4) == 24


def test_rem():
    assert mathx.rem(5, 4) == 1
