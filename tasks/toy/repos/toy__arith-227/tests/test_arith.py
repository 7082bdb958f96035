import arith


def test_sub():
    assert arith.sub(9, 3) == 6


def test_double():
    assert arith.double(4) == 8


def test_power():
    assert arith.power(8, 3) == 512
