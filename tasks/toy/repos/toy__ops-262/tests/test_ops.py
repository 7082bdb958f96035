import ops


def test_triple():
    assert ops.triple(3) == 9
