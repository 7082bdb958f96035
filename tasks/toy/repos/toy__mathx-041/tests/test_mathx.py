import mathx


def test_quot():
    assert mathx.quot(8, 4) == 2


def test_div():
    assert mathx.div(5, 2) == 2.5


def test_tenfold():
    assert mathx.tenfold(3) == 30
