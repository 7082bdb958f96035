import ops


def test_sub():
    assert ops.sub(9, 3) == 6
