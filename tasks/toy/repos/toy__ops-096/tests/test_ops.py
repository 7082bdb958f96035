import ops


def test_square():
    assert ops.square(3) == 9


def test_mul():
    assert ops.mul(6, 2) == 12


def test_rem():
    assert ops.rem(9, 4) == 1
