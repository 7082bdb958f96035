import ops


def test_rem():
    assert ops.rem(6, 3) == 0
