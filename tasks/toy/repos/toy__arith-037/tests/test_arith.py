import arith


def test_add():
    assert arith.add(9, 3) == 12


def test_double():
    assert arith.double(4) == 8


def test_tenfold():
    assert arith.tenfold(5) == 50
