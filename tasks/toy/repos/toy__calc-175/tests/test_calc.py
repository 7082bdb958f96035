import calc


def test_mul():
    assert calc.mul(8, 4) == 32


def test_square():
    assert calc.square(4) == 16


def test_half():
    assert calc.half(4) == 2
