import ops


def test_square():
    assert ops.square(8) == 64
