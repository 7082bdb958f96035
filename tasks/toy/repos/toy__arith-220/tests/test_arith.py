import arith


def test_square():
    assert arith.square(6) == 36


def test_mul():
    assert arith.mul(8, 3) == 24


def test_inc():
    assert arith.inc(7) == 8
