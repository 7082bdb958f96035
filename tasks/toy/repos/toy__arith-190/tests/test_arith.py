import arith


def test_tenfold():
    assert arith.tenfold(4) == 40


def test_inc():
    assert arith.inc(5) == 6


def test_dec():
    assert arith.dec(8) == 7
