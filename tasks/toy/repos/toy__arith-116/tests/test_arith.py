import arith


def test_double():
    assert arith.double(7) == 14


def test_square():
    assert arith.square(4) == 16


def test_inc():
    assert arith.inc(4) == 5
