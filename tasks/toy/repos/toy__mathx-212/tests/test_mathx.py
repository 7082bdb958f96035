import mathx


def test_power():
    assert mathx.power(5, 3) == 125


def test_double():
    assert mathx.double(4) == 8


def test_square():
    assert mathx.square(9) == 81
