import arith


def test_power():
    assert arith.power(6, 3) == 216
