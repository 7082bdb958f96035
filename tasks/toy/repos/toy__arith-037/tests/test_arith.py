import arith


def test_rem():
    assert arith.rem(9, 3) == 0
