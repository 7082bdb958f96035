import calc


def test_quot():
    assert calc.quot(5, 4) == 1


def test_sub():
    assert calc.sub(6, 2) == 4


def test_half():
    assert calc.half(4) == 2
