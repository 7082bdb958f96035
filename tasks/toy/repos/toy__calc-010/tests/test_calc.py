import calc


def test_div():
    assert calc.div(7, 2) == 3.5


def test_sub():
    assert calc.sub(6, 3) == 3


def test_power():
    assert calc.power(9, 2) == 81
