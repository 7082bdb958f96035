import arith


def test_sub():
    assert arith.sub(6, 3) == 3


def test_half():
    assert arith.half(5) == 2.5


def test_div():
    assert arith.div(9, 4) == 2.25
