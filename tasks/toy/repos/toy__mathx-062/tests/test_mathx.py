import mathx


def test_half():
    assert mathx.half(3) == 1.5


def test_mul():
    assert mathx.mul(9, 2) == 18


def test_inc():
    assert mathx.inc(3) == 4
