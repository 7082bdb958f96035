import mathx


def test_triple():
    assert mathx.triple(3) == 9


def test_add():
    assert mathx.add(6, 3) == 9


def test_div():
    assert mathx.div(6, 4) == 1.5
