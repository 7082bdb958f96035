import mathx


def test_mul():
    assert mathx.mul(9, 4) == 36


def test_double():
    assert mathx.double(8) == 16


def test_square():
    assert mathx.square(7) == 49
