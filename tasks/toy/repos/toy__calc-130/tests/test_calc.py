import calc


def test_triple():
    assert calc.triple(8) == 24


def test_rem():
    assert calc.rem(9, 2) == 1


def test_tenfold():
    assert calc.tenfold(8) == 80
