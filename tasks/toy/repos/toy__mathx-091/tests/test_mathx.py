import mathx


def test_add():
    assert mathx.add(6, 4) == 10


def test_mul():
    assert mathx.mul(8, 4) == 32


def test_half():
    assert mathx.half(4) == 2
