import arith


def test_rem():
    assert arith.rem(5, 3) == 2
