import arith


def test_mul():
    assert arith.mul(9, 2) == 18
