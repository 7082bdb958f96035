import mathx


def test_div():
    assert mathx.div(8, 2) == 4


def test_power():
    assert mathx.power(8, 3) == 512


def test_quot():
    assert mathx.quot(5, 2) == 2
