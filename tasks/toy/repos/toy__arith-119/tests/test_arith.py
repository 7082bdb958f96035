import arith


def test_double():
    assert arith.double(9) == 18


def test_square():
    assert arith.square(7) == 49


def test_sub():
    assert arith.sub(6, 3) == 3
