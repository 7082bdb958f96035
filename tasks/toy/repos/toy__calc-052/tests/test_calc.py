import calc


def test_power():
    assert calc.power(9, 2) == 81


def test_dec():
    assert calc.dec(9) == 8


def test_add():
    assert calc.add(6, 3) == 9
