import mathx


def test_tenfold():
    assert mathx.tenfold(8) == 80


def test_power():
    assert mathx.power(8, 2) == 64


def test_add():
    assert mathx.add(6, 4) == 10
