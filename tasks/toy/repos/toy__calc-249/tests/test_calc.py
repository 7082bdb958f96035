import calc


def test_dec():
    assert calc.dec(8) == 7


def test_double():
    assert calc.double(4) == 8


def test_div():
    assert calc.div(5, 4) == 1.25
