import calc


def test_power():
    assert calc.power(9, 2) == 81
