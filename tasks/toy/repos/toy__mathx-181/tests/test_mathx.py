import mathx


def test_tenfold():
    assert mathx.tenfold(4) == 40


def test_rem():
    assert mathx.rem(8, 3) == 2


def test_inc():
    assert mathx.inc(6) == 7
