import calc


def test_dec():
    assert calc.dec(7) == 6


def test_div():
    assert calc.div(5, 2) == 2.5


def test_half():
    assert calc.half(7) == 3.5
