import calc


def test_sub():
    assert calc.sub(9, 4) == 5


def test_half():
    assert calc.half(4) == 2


def test_tenfold():
    assert calc.tenfold(8) == 80
