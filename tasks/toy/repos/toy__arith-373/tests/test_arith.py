import arith


def test_mul():
    assert arith.mul(7, 3) == 21
