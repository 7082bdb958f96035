import arith


def test_double():
    assert arith.double(7) == 14


def test_dec():
    assert arith.dec(7) == 6


def test_power():
    assert arith.power(7, 2) == 49
