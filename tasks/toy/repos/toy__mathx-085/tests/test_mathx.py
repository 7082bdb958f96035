import mathx


def test_mul():
    assert mathx.mul(8, 2) == 16


def test_double():
    assert mathx.double(8) == 16


def test_rem():
    assert mathx.rem(5, 2) == 1
