import mathx


def test_dec():
    assert mathx.dec(7) == 6


def test_double():
    assert mathx.double(5) == 10


def test_square():
    assert mathx.square(3) == 9
