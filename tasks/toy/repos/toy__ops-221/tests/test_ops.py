import ops


def test_square():
    assert ops.square(4) == 16


def test_double():
    assert ops.double(3) == 6


def test_mul():
    assert ops.mul(7, 2) == 14
