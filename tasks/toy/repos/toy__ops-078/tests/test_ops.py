import ops


def test_mul():
    assert ops.mul(9, 2) == 18
