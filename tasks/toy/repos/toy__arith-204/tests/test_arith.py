import arith


def test_square():
    assert arith.square(3) == 9


def test_triple():
    assert arith.triple(4) == 12


def test_dec():
    assert arith.dec(3) == 2
