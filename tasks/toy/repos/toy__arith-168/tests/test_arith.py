import arith


def test_mul():
    assert arith.mul(5, 3) == 15
