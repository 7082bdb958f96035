import mathx


def test_tenfold():
    assert mathx.tenfold(5) == 50


def test_power():
    assert mathx.power(6, 2) == 36


def test_half():
    assert mathx.half(5) == 2.5
