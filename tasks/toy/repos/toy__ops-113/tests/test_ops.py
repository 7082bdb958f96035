import ops


def test_half():
    assert ops.half(8) == 4


def test_double():
    assert ops.double(8) == 16


def test_mul():
    assert ops.mul(5, 3) == 15
