import calc


def test_power():
    assert calc.power(5, 3) == 125
