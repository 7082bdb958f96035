import calc


def test_div():
    assert calc.div(8, 4) == 2


def test_mul():
    assert calc.mul(9, 3) == 27


def test_quot():
    assert calc.quot(5, 4) == 1
