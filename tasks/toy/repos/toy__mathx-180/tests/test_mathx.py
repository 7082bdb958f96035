import mathx


def test_square():
    assert mathx.square(5) == 25


def test_inc():
    assert mathx.inc(8) == 9


def test_mul():
    assert mathx.mul(8, 4) == 32
