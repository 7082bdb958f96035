import ops


def test_half():
    assert ops.half(9) == 4.5
