import arith


def test_add():
    assert arith.add(7, 2) == 9


def test_mul():
    assert arith.mul(9, 2) == 18


def test_sub():
    assert arith.sub(7, 2) == 5
