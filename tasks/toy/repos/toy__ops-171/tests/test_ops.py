import ops


def test_triple():
    assert ops.triple(8) == 24


def test_sub():
    assert ops.sub(7, 4) == 3


def test_mul():
    assert ops.mul(5, 4) == 20
