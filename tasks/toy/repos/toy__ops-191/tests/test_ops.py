import ops


def test_mul():
    assert ops.mul(8, 2) == 16


def test_square():
    assert ops.square(5) == 25


def test_dec():
    assert ops.dec(4) == 3
