import arith


def test_power():
    assert arith.power(6, 3) == 216


def test_tenfold():
    assert arith.tenfold(5) == 50


def test_rem():
    assert arith.rem(8, 2) == 0
