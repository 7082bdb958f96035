import ops


def test_sub():
    assert ops.sub(7, 2) == 5
