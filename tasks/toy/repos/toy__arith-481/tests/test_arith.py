import arith


def test_double():
    assert arith.double(8) == 16
