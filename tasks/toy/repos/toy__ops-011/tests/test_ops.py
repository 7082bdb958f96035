import ops


def test_rem():
    assert ops.rem(9, 4) == 1
