import ops


def test_square():
    assert ops.square(7) == 49
