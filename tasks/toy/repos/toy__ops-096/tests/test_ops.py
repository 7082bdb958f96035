import ops


def test_square():
    assert ops.square(3) == 9
