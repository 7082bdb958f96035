import calc


def test_triple():
    assert calc.triple(6) == 18


def test_rem():
    assert calc.rem(5, 4) == 1


def test_inc():
    assert calc.inc(3) == 4
