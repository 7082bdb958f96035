import mathx


def test_square():
    assert mathx.square(6) == 36


def test_tenfold():
    assert mathx.tenfold(9) == 90


def test_double():
    assert mathx.double(3) == 6
