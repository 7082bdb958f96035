import calc


def test_add():
    assert calc.add(5, 3) == 8


def test_half():
    assert calc.half(9) == 4.5


def test_quot():
    assert calc.quot(7, 4) == 1
