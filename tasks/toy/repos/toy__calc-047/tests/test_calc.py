import calc


def test_quot():
    assert calc.quot(6, 4) == 1


def test_triple():
    assert calc.triple(4) == 12


def test_power():
    assert calc.power(7, 2) == 49
