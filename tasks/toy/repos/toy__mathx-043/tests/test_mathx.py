import mathx


def test_mul():
    assert mathx.mul(7, 4) == 28


def test_quot():
    assert mathx.quot(6, 2) == 3


def test_double():
    assert mathx.double(3) == 6
