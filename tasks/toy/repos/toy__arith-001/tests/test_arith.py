import arith


def test_half():
    assert arith.half(8) == 4


def test_rem():
    assert arith.rem(5, 4) == 1


def test_double():
    assert arith.double(9) == 18
