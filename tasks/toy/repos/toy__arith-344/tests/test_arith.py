import arith


def test_square():
    assert arith.square(7) == 49
