import arith


def test_square():
    assert arith.square(8) == 64


def test_mul():
    assert arith.mul(5, 3) == 15


def test_div():
    assert arith.div(5, 4) == 1.25
