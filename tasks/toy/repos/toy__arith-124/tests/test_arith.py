import arith


def test_rem():
    assert arith.rem(6, 2) == 0


def test_mul():
    assert arith.mul(6, 3) == 18


def test_triple():
    assert arith.triple(8) == 24
