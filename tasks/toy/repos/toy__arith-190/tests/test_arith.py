import arith


def test_rem():
    assert arith.rem(6, 4) == 2
