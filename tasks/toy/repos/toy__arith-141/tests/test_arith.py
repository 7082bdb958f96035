import arith


def test_half():
    assert arith.half(7) == 3.5


def test_sub():
    assert arith.sub(5, 2) == 3


def test_rem():
    assert arith.rem(9, 3) == 0
