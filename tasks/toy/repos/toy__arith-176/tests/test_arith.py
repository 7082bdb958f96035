import arith


def test_triple():
    assert arith.triple(7) == 21


def test_square():
    assert arith.square(3) == 9


def test_tenfold():
    assert arith.tenfold(8) == 80
