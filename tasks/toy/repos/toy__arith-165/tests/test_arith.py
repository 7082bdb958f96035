import arith


def test_dec():
    assert arith.dec(3) == 2


def test_power():
    assert arith.power(6, 2) == 36


def test_triple():
    assert arith.triple(9) == 27
