import arith


def test_power():
    assert arith.power(5, 2) == 25
