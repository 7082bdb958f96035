import ops


def test_triple():
    assert ops.triple(6) == 18
