import arith


def test_triple():
    assert arith.triple(7) == 21


def test_sub():
    assert arith.sub(5, 3) == 2


def test_double():
    assert arith.double(5) == 10
