import arith


def test_half():
    assert arith.half(3) == 1.5
