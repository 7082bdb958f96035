import arith


def test_rem():
    assert arith.rem(8, 4) == 0


def test_half():
    assert arith.half(7) == 3.5


def test_quot():
    assert arith.quot(9, 3) == 3
