import arith


def test_mul():
    assert arith.mul(6, 3) == 18


def test_half():
    assert arith.half(7) == 3.5


def test_dec():
    assert arith.dec(6) == 5
