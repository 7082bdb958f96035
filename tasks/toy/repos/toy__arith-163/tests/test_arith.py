import arith


def test_div():
    assert arith.div(7, 2) == 3.5


def test_inc():
    assert arith.inc(5) == 6


def test_add():
    assert arith.add(7, 3) == 10
