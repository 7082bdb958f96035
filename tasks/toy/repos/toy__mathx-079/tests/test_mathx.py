import mathx


def test_quot():
    assert mathx.quot(8, 3) == 2


def test_double():
    assert mathx.double(8) == 16


def test_tenfold():
    assert mathx.tenfold(4) == 40
