import calc


def test_div():
    assert calc.div(5, 4) == 1.25


def test_power():
    assert calc.power(7, 3) == 343


def test_sub():
    assert calc.sub(5, 3) == 2
