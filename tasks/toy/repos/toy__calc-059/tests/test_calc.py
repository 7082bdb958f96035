import calc


def test_rem():
    assert calc.rem(5, 3) == 2


def test_sub():
    assert calc.sub(5, 3) == 2


def test_add():
    assert calc.add(5, 4) == 9
