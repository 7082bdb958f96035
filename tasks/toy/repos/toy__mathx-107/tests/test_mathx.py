import mathx


def test_mul():
    assert mathx.mul(9, 4) == 36


def test_add():
    assert mathx.add(7, 4) == 11


def test_inc():
    assert mathx.inc(5) == 6
