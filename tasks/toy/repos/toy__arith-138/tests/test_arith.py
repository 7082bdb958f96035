import arith


def test_double():
    assert arith.double(3) == 6


def test_square():
    assert arith.square(7) == 49


def test_div():
    assert arith.div(6, 2) == 3
