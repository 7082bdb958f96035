import arith


def test_square():
    assert arith.square(8) == 64
