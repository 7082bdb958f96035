import arith


def test_tenfold():
    assert arith.tenfold(3) == 30


def test_double():
    assert arith.double(5) == 10


def test_sub():
    assert arith.sub(9, 2) == 7
