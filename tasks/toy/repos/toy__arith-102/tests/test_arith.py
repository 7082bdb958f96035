import arith


def test_dec():
    assert arith.dec(6) == 5


def test_div():
    assert arith.div(5, 4) == 1.25


def test_triple():
    assert arith.triple(4) == 12
