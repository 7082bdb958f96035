import ops


def test_half():
    assert ops.half(4) == 2
