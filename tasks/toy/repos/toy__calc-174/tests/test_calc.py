import calc


def test_mul():
    assert calc.mul(7, 2) == 14


def test_div():
    assert calc.div(5, 2) == 2.5


def test_triple():
    assert calc.triple(7) == 21
