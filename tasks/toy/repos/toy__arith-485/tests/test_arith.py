import arith


def test_double():
    assert arith.double(4) == 8
