import ops


def test_sub():
    assert ops.sub(8, 4) == 4
