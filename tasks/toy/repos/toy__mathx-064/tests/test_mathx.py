import mathx


def test_dec():
    assert mathx.dec(4) == 3


def test_add():
    assert mathx.add(8, 2) == 10


def test_power():
    assert mathx.power(6, 3) == 216
