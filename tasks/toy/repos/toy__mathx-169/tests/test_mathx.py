import mathx


def test_half():
    assert mathx.half(9) == 4.5


def test_mul():
    assert mathx.mul(5, 3) == 15


def test_double():
    assert mathx.double(8) == 16
