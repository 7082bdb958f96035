import calc


def test_div():
    assert calc.div(7, 2) == 3.5


def test_inc():
    assert calc.inc(6) == 7


def test_add():
    assert calc.add(6, 4) == 10
