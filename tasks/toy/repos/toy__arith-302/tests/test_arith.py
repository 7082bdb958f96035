import arith


def test_half():
    assert arith.half(6) == 3
