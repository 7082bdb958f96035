import ops


def test_rem():
    assert ops.rem(8, 3) == 2


def test_div():
    assert ops.div(6, 2) == 3


def test_sub():
    assert ops.sub(8, 3) == 5
