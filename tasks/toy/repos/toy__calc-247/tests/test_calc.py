import calc


def test_power():
    assert calc.power(8, 3) == 512
