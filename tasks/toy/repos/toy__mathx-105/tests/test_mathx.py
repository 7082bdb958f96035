import mathx


def test_dec():
    assert mathx.dec(6) == 5


def test_inc():
    assert mathx.inc(6) == 7


def test_quot():
    assert mathx.quot(5, 3) == 1
