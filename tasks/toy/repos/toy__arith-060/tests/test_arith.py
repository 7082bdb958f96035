import arith


def test_mul():
    assert arith.mul(8, 4) == 32


def test_div():
    assert arith.div(6, 4) == 1.5


def test_rem():
    assert arith.rem(8, 2) == 0
