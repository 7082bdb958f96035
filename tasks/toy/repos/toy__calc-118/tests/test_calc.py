import calc


def test_quot():
    assert calc.quot(9, 3) == 3


def test_inc():
    assert calc.inc(9) == 10


def test_power():
    assert calc.power(6, 3) == 216
