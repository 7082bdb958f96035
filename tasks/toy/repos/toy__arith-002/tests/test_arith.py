import arith


def test_square():
    assert arith.square(8) == 64


def test_div():
    assert arith.div(7, 4) == 1.75


def test_inc():
    assert arith.inc(4) == 5
