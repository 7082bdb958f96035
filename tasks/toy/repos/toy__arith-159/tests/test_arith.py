import arith


def test_half():
    assert arith.half(4) == 2


def test_inc():
    assert arith.inc(6) == 7


def test_power():
    assert arith.power(9, 3) == 729
