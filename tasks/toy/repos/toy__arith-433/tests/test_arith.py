import arith


def test_power():
    assert arith.power(7, 3) == 343
