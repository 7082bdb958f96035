import calc


def test_mul():
    assert calc.mul(6, 3) == 18


def test_add():
    assert calc.add(6, 4) == 10


def test_sub():
    assert calc.sub(5, 4) == 1
