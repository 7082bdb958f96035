import calc


def test_tenfold():
    assert calc.tenfold(9) == 90


def test_power():
    assert calc.power(5, 3) == 125


def test_div():
    assert calc.div(5, 2) == 2.5
