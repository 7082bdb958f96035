import arith


def test_double():
    assert arith.double(7) == 14


def test_power():
    assert arith.power(8, 3) == 512


def test_sub():
    assert arith.sub(5, 4) == 1
