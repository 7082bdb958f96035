import calc


def test_inc():
    assert calc.inc(9) == 10


def test_quot():
    assert calc.quot(8, 3) == 2


def test_double():
    assert calc.double(4) == 8
