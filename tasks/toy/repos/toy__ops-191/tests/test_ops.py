import ops


def test_mul():
    assert ops.mul(8, 2) == 16
