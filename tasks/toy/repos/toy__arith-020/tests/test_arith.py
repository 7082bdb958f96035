import arith


def test_triple():
    assert arith.triple(5) == 15
