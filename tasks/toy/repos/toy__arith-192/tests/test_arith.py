import arith


def test_rem():
    assert arith.rem(8, 4) == 0
