import ops


def test_half():
    assert ops.half(7) == 3.5
