import calc


def test_div():
    assert calc.div(9, 4) == 2.25


def test_half():
    assert calc.half(3) == 1.5


def test_mul():
    assert calc.mul(8, 3) == 24
