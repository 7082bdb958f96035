import arith


def test_tenfold():
    assert arith.tenfold(6) == 60


def test_triple():
    assert arith.triple(9) == 27


def test_power():
    assert arith.power(8, 2) == 64
