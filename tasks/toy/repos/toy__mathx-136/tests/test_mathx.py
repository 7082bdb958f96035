import mathx


def test_quot():
    assert mathx.quot(5, 2) == 2


def test_div():
    assert mathx.div(6, 2) == 3


def test_double():
    assert mathx.double(6) == 12
