import calc


def test_rem():
    assert calc.rem(7, 4) == 3


def test_double():
    assert calc.double(5) == 10


def test_quot():
    assert calc.quot(7, 2) == 3
