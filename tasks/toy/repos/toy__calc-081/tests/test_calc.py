import calc


def test_dec():
    assert calc.dec(8) == 7


def test_half():
    assert calc.half(4) == 2


def test_sub():
    assert calc.sub(7, 4) == 3
