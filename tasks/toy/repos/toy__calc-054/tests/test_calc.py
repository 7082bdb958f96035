import calc


def test_dec():
    assert calc.dec(8) == 7


def test_quot():
    assert calc.quot(8, 3) == 2


def test_double():
    assert calc.double(5) == 10
