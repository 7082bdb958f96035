import arith


def test_double():
    assert arith.double(5) == 10


def test_sub():
    assert arith.sub(6, 2) == 4


def test_mul():
    assert arith.mul(5, 4) == 20
