import calc


def test_div():
    assert calc.div(7, 2) == 3.5


def test_mul():
    assert calc.mul(5, 3) == 15


def test_half():
    assert calc.half(3) == 1.5
