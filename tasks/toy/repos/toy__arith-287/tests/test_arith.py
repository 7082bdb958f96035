import arith


def test_mul():
    assert arith.mul(8, 2) == 16
