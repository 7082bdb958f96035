import mathx


def test_power():
    assert mathx.power(9, 3) == 729


def test_add():
    assert mathx.add(9, 2) == 11


def test_mul():
    assert mathx.mul(9, 2) == 18
