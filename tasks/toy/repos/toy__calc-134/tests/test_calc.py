import calc


def test_inc():
    assert calc.inc(6) == 7


def test_square():
    assert calc.square(4) == 16


def test_dec():
    assert calc.dec(3) == 2
