import arith


def test_tenfold():
    assert arith.tenfold(4) == 40


def test_mul():
    assert arith.mul(7, 4) == 28


def test_dec():
    assert arith.dec(7) == 6
