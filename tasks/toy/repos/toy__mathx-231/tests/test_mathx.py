import mathx


def test_power():
    assert mathx.power(6, 2) == 36


def test_div():
    assert mathx.div(8, 4) == 2


def test_dec():
    assert mathx.dec(7) == 6
