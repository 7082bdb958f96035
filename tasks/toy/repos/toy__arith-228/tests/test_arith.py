import arith


def test_triple():
    assert arith.triple(7) == 21


def test_square():
    assert arith.square(8) == 64


def test_inc():
    assert arith.inc(3) == 4
