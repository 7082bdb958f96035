import arith


def test_rem():
    assert arith.rem(7, 2) == 1


def test_sub():
    assert arith.sub(7, 3) == 4


def test_square():
    assert arith.square(8) == 64
