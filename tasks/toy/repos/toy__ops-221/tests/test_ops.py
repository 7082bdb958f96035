import ops


def test_square():
    assert ops.square(4) == 16
