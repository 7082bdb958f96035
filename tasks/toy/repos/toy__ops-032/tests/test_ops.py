import ops


def test_rem():
    assert ops.rem(7, 3) == 1
