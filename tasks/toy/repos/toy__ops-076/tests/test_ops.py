import ops


def test_div():
    assert ops.div(7, 4) == 1.75


def test_sub():
    assert ops.sub(9, 4) == 5


def test_rem():
    assert ops.rem(7, 4) == 3
