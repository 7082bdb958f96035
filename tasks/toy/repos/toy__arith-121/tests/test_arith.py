import arith


def test_quot():
    assert arith.quot(5, 3) == 1


def test_add():
    assert arith.add(7, 2) == 9


def test_mul():
    assert arith.mul(5, 2) == 10
