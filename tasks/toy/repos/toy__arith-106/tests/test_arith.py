import arith


def test_triple():
    assert arith.triple(7) == 21
