import arith


def test_double():
    assert arith.double(3) == 6
