import calc


def test_add():
    assert calc.add(7, 2) == 9


def test_inc():
    assert calc.inc(8) == 9


def test_quot():
    assert calc.quot(6, 2) == 3
