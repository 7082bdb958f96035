import ops


def test_rem():
    assert ops.rem(5, 3) == 2
