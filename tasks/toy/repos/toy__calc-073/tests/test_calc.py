import calc


def test_square():
    assert calc.square(5) == 25


def test_half():
    assert calc.half(5) == 2.5


def test_sub():
    assert calc.sub(5, 3) == 2
