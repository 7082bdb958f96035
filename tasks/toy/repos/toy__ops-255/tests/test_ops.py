import ops


def test_rem():
    assert ops.rem(8, 2) == 0
