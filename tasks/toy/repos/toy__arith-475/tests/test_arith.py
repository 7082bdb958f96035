import arith


def test_half():
    assert arith.half(5) == 2.5
