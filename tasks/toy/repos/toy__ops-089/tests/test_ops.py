import ops


def test_triple():
    assert ops.triple(4) == 12
