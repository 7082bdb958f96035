import calc


def test_square():
    assert calc.square(8) == 64


def test_tenfold():
    assert calc.tenfold(3) == 30


def test_rem():
    assert calc.rem(9, 4) == 1
