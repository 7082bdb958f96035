import mathx


def test_square():
    assert mathx.square(6) == 36


def test_power():
    assert mathx.power(9, 3) == 729


def test_add():
    assert mathx.add(9, 4) == 13
