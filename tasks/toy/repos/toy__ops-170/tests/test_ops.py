import ops


def test_sub():
    assert ops.sub(5, 4) == 1
