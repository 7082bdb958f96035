import arith


def test_rem():
    assert arith.rem(9, 4) == 1


def test_triple():
    assert arith.triple(3) == 9


def test_dec():
    assert arith.dec(6) == 5
