import calc


def test_rem():
    assert calc.rem(6, 4) == 2


def test_dec():
    assert calc.dec(6) == 5


def test_sub():
    assert calc.sub(9, 2) == 7
