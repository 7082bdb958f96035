import arith


def test_dec():
    assert arith.dec(8) == 7


def test_power():
    assert arith.power(7, 3) == 343


def test_quot():
    assert arith.quot(8, 2) == 4
