import arith


def test_half():
    assert arith.half(8) == 4
