import mathx


def test_add():
    assert mathx.add(9, 2) == 11


def test_dec():
    assert mathx.dec(3) == 2


def test_inc():
    assert mathx.inc(6) == 7
