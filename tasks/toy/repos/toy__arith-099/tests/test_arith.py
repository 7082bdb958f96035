import arith


def test_square():
    assert arith.square(3) == 9
