import arith


def test_power():
    assert arith.power(9, 2) == 81


def test_half():
    assert arith.half(5) == 2.5


def test_dec():
    assert arith.dec(8) == 7
