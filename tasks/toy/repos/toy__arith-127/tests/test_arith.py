import arith


def test_triple():
    assert arith.triple(4) == 12


def test_double():
    assert arith.double(8) == 16


def test_power():
    assert arith.power(5, 2) == 25
