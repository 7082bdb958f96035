import arith


def test_square():
    assert arith.square(9) == 81


def test_double():
    assert arith.double(5) == 10


def test_dec():
    assert arith.dec(5) == 4
