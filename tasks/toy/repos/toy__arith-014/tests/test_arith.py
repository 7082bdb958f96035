import arith


def test_sub():
    assert arith.sub(6, 3) == 3


def test_square():
    assert arith.square(9) == 81


def test_half():
    assert arith.half(7) == 3.5
