import ops


def test_square():
    assert ops.square(9) == 81
