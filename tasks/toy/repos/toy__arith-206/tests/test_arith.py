import arith


def test_double():
    assert arith.double(9) == 18


def test_square():
    assert arith.square(3) == 9


def test_dec():
    assert arith.dec(6) == 5
