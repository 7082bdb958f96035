import calc


def test_dec():
    assert calc.dec(9) == 8


def test_div():
    assert calc.div(7, 2) == 3.5


def test_rem():
    assert calc.rem(5, 3) == 2
