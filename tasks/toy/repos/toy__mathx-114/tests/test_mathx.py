import mathx


def test_double():
    assert mathx.double(9) == 18


def test_add():
    assert mathx.add(8, 4) == 12


def test_power():
    assert mathx.power(5, 3) == 125
