import mathx


def test_div():
    assert mathx.div(9, 2) == 4.5


def test_double():
    assert mathx.double(8) == 16


def test_mul():
    assert mathx.mul(9, 2) == 18
