import arith


def test_square():
    assert arith.square(9) == 81
