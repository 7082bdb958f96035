import ops


def test_sub():
    assert ops.sub(9, 4) == 5
