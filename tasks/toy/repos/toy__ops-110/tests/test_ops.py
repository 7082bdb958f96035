import ops


def test_rem():
    assert ops.rem(6, 3) == 0


def test_div():
    assert ops.div(5, 4) == 1.25


def test_sub():
    assert ops.sub(9, 2) == 7
