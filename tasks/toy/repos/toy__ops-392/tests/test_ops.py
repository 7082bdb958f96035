import ops


def test_mul():
    assert ops.mul(6, 4) == 24
