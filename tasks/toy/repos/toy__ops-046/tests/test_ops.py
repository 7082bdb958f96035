import ops


def test_mul():
    assert ops.mul(5, 4) == 20
