import arith


def test_tenfold():
    assert arith.tenfold(9) == 90


def test_mul():
    assert arith.mul(8, 2) == 16


def test_add():
    assert arith.add(5, 2) == 7
