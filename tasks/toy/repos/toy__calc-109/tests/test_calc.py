import calc


def test_half():
    assert calc.half(9) == 4.5


def test_rem():
    assert calc.rem(6, 4) == 2


def test_sub():
    assert calc.sub(5, 4) == 1
