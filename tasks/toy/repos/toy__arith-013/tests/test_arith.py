import arith


def test_quot():
    assert arith.quot(5, 3) == 1


def test_add():
    assert arith.add(6, 4) == 10


def test_mul():
    assert arith.mul(8, 3) == 24
