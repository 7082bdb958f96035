import ops


def test_triple():
    assert ops.triple(9) == 27
