import arith


def test_inc():
    assert arith.inc(4) == 5


def test_triple():
    assert arith.triple(4) == 12


def test_sub():
    assert arith.sub(6, 3) == 3
