import ops


def test_half():
    assert ops.half(6) == 3


def test_mul():
    assert ops.mul(8, 2) == 16


def test_sub():
    assert ops.sub(7, 2) == 5
