import arith


def test_square():
    assert arith.square(6) == 36
