import ops


def test_mul():
    assert ops.mul(7, 4) == 28
