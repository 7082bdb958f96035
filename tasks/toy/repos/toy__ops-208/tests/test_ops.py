import ops


def test_half():
    assert ops.half(6) == 3
