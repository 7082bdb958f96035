import arith


def test_mul():
    assert arith.mul(8, 4) == 32
