import ops


def test_half():
    assert ops.half(8) == 4
