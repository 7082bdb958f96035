import ops


def test_triple():
    assert ops.triple(5) == 15
