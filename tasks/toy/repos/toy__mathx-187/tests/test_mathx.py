import mathx


def test_double():
    assert mathx.double(5) == 10


def test_mul():
    assert mathx.mul(6, 2) == 12


def test_sub():
    assert mathx.sub(6, 4) == 2
