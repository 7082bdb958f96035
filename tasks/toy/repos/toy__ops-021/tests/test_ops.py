import ops


def test_rem():
    assert ops.rem(9, 3) == 0


def test_square():
    assert ops.square(5) == 25


def test_power():
    assert ops.power(9, 3) == 729
