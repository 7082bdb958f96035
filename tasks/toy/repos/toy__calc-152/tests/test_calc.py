import calc


def test_add():
    assert calc.add(7, 2) == 9


def test_half():
    assert calc.half(9) == 4.5


def test_mul():
    assert calc.mul(6, 3) == 18
