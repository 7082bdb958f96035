import ops


def test_power():
    assert ops.power(8, 2) == 64


def test_triple():
    assert ops.triple(7) == 21


def test_mul():
    assert ops.mul(5, 4) == 20
