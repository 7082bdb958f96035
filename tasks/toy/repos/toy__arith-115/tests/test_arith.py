import arith


def test_mul():
    assert arith.mul(6, 3) == 18
