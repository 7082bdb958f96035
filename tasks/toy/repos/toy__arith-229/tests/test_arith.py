import arith


def test_dec():
    assert arith.dec(6) == 5


def test_square():
    assert arith.square(3) == 9


def test_quot():
    assert arith.quot(8, 2) == 4
