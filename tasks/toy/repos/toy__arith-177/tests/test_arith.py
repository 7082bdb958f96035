import arith


def test_square():
    assert arith.square(7) == 49


def test_sub():
    assert arith.sub(5, 4) == 1


def test_div():
    assert arith.div(7, 4) == 1.75
