import arith


def test_half():
    assert arith.half(7) == 3.5
