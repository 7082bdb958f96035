import calc


def test_double():
    assert calc.double(9) == 18


def test_square():
    assert calc.square(5) == 25


def test_add():
    assert calc.add(6, 3) == 9
