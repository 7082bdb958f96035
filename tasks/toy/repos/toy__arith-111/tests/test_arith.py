import arith


def test_double():
    assert arith.double(3) == 6


def test_sub():
    assert arith.sub(5, 3) == 2


def test_mul():
    assert arith.mul(5, 2) == 10
