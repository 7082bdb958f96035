import arith


def test_inc():
    assert arith.inc(8) == 9


def test_square():
    assert arith.square(4) == 16


def test_div():
    assert arith.div(5, 2) == 2.5
