import mathx


def test_triple():
    assert mathx.triple(5) == 15


def test_div():
    assert mathx.div(8, 2) == 4


def test_add():
    assert mathx.add(7, 2) == 9
