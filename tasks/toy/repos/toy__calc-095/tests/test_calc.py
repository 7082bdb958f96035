import calc


def test_sub():
    assert calc.sub(9, 3) == 6


def test_mul():
    assert calc.mul(8, 4) == 32


def test_square():
    assert calc.square(7) == 49
