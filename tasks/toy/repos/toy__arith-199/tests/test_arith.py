import arith


def test_square():
    assert arith.square(4) == 16
