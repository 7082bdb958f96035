import mathx


def test_inc():
    assert mathx.inc(7) == 8


def test_add():
    assert mathx.add(8, 2) == 10


def test_dec():
    assert mathx.dec(7) == 6
