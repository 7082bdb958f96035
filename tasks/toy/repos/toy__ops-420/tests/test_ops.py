import ops


def test_sub():
    assert ops.sub(6, 2) == 4
