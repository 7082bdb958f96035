import arith


def test_tenfold():
    assert arith.tenfold(5) == 50


def test_mul():
    assert arith.mul(8, 4) == 32


def test_rem():
    assert arith.rem(7, 3) == 1
