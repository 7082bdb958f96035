import arith


def test_double():
    assert arith.double(7) == 14
