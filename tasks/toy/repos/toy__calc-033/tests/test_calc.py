import calc


def test_double():
    assert calc.double(9) == 18


def test_triple():
    assert calc.triple(3) == 9


def test_rem():
    assert calc.rem(7, 4) == 3
