import ops


def test_square():
    assert ops.square(9) == 81


def test_sub():
    assert ops.sub(7, 3) == 4


def test_mul():
    assert ops.mul(9, 2) == 18
