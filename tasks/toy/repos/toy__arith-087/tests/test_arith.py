import arith


def test_triple():
    assert arith.triple(4) == 12
