import arith


def test_square():
    assert arith.square(4) == 16


def test_rem():
    assert arith.rem(5, 2) == 1


def test_double():
    assert arith.double(6) == 12
