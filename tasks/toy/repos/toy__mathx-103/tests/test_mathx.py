import mathx


def test_add():
    assert mathx.add(5, 4) == 9


def test_quot():
    assert mathx.quot(8, 2) == 4


def test_div():
    assert mathx.div(8, 4) == 2
