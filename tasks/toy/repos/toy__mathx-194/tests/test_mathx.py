import mathx


def test_div():
    assert mathx.div(9, 4) == 2.25


def test_sub():
    assert mathx.sub(7, 3) == 4


def test_mul():
    assert mathx.mul(8, 2) == 16
