import calc


def test_add():
    assert calc.add(5, 3) == 8


def test_square():
    assert calc.square(7) == 49


def test_inc():
    assert calc.inc(3) == 4
