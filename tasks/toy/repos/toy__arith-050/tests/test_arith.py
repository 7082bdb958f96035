import arith


def test_mul():
    assert arith.mul(5, 2) == 10


def test_half():
    assert arith.half(5) == 2.5


def test_square():
    assert arith.square(8) == 64
