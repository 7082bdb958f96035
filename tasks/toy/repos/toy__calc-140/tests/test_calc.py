import calc


def test_div():
    assert calc.div(8, 2) == 4


def test_sub():
    assert calc.sub(7, 3) == 4


def test_square():
    assert calc.square(5) == 25
