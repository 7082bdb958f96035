import arith


def test_square():
    assert arith.square(6) == 36


def test_triple():
    assert arith.triple(9) == 27


def test_double():
    assert arith.double(4) == 8
