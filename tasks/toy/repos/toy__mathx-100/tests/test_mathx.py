import mathx


def test_half():
    assert mathx.half(6) == 3


def test_add():
    assert mathx.add(6, 4) == 10


def test_double():
    assert mathx.double(4) == 8
