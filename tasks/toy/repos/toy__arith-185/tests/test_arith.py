import arith


def test_double():
    assert arith.double(9) == 18


def test_mul():
    assert arith.mul(9, 4) == 36


def test_rem():
    assert arith.rem(7, 3) == 1
