import arith


def test_double():
    assert arith.double(9) == 18
