import calc


def test_rem():
    assert calc.rem(6, 2) == 0


def test_square():
    assert calc.square(9) == 81


def test_div():
    assert calc.div(9, 2) == 4.5
