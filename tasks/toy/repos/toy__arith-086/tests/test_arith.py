import arith


def test_sub():
    assert arith.sub(5, 3) == 2


def test_tenfold():
    assert arith.tenfold(3) == 30


def test_double():
    assert arith.double(8) == 16
