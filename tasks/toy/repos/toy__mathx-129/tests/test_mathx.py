import mathx


def test_rem():
    assert mathx.rem(7, 4) == 3


def test_mul():
    assert mathx.mul(9, 3) == 27


def test_power():
    assert mathx.power(5, 2) == 25
