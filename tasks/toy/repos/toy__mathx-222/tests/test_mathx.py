import mathx


def test_mul():
    assert mathx.mul(9, 2) == 18


def test_div():
    assert mathx.div(9, 2) == 4.5


def test_half():
    assert mathx.half(6) == 3
