import mathx


def test_add():
    assert mathx.add(6, 4) == 10


def test_double():
    assert mathx.double(6) == 12


def test_tenfold():
    assert mathx.tenfold(9) == 90
