import calc


def test_inc():
    assert calc.inc(8) == 9


def test_power():
    assert calc.power(6, 2) == 36


def test_dec():
    assert calc.dec(9) == 8
