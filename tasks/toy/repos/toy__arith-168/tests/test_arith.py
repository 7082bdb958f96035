import arith


def test_mul():
    assert arith.mul(5, 3) == 15


def test_tenfold():
    assert arith.tenfold(6) == 60


def test_half():
    assert arith.half(5) == 2.5
