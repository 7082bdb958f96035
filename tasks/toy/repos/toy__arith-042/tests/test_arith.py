import arith


def test_rem():
    assert arith.rem(5, 3) == 2


def test_div():
    assert arith.div(7, 4) == 1.75


def test_square():
    assert arith.square(8) == 64
