import calc


def test_square():
    assert calc.square(8) == 64


def test_sub():
    assert calc.sub(9, 4) == 5


def test_mul():
    assert calc.mul(5, 3) == 15
