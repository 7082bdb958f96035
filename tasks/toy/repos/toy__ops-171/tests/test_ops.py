import ops


def test_triple():
    assert ops.triple(8) == 24
