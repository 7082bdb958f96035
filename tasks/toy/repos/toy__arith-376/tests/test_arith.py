import arith


def test_rem():
    assert arith.rem(5, 2) == 1
