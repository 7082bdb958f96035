import calc


def test_quot():
    assert calc.quot(8, 3) == 2


def test_sub():
    assert calc.sub(5, 4) == 1


def test_square():
    assert calc.square(3) == 9
