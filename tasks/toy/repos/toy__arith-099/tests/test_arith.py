import arith


def test_div():
    assert arith.div(6, 2) == 3


def test_inc():
    assert arith.inc(8) == 9


def test_dec():
    assert arith.dec(8) == 7
