import mathx


def test_double():
    assert mathx.double(6) == 12


def test_inc():
    assert mathx.inc(8) == 9


def test_square():
    assert mathx.square(8) == 64
