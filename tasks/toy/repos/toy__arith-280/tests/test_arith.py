import arith


def test_triple():
    assert arith.triple(9) == 27
