import arith


def test_double():
    assert arith.double(4) == 8


def test_add():
    assert arith.add(5, 4) == 9


def test_mul():
    assert arith.mul(9, 3) == 27
