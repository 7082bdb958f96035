import mathx


def test_quot():
    assert mathx.quot(5, 3) == 1


def test_div():
    assert mathx.div(7, 2) == 3.5


def test_triple():
    assert mathx.triple(7) == 21
