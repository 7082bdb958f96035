import calc


def test_power():
    assert calc.power(6, 3) == 216
