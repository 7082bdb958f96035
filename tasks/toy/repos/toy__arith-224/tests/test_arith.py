import arith


def test_dec():
    assert arith.dec(4) == 3


def test_inc():
    assert arith.inc(5) == 6


def test_rem():
    assert arith.rem(6, 2) == 0
