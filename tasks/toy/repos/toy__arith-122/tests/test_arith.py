import arith


def test_inc():
    assert arith.inc(6) == 7


def test_add():
    assert arith.add(6, 4) == 10


def test_div():
    assert arith.div(8, 4) == 2
