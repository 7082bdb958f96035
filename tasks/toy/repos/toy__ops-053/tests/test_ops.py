import ops


def test_square():
    assert ops.square(7) == 49


def test_div():
    assert ops.div(9, 2) == 4.5


def test_rem():
    assert ops.rem(8, 4) == 0
