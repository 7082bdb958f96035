import calc


def test_quot():
    assert calc.quot(8, 2) == 4


def test_double():
    assert calc.double(3) == 6


def test_inc():
    assert calc.inc(7) == 8
