import ops


def test_mul():
    assert ops.mul(7, 3) == 21


def test_add():
    assert ops.add(6, 4) == 10


def test_square():
    assert ops.square(9) == 81
