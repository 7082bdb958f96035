import arith


def test_inc():
    assert arith.inc(6) == 7


def test_mul():
    assert arith.mul(8, 4) == 32


def test_triple():
    assert arith.triple(7) == 21
