import mathx


def test_double():
    assert mathx.double(9) == 18


def test_half():
    assert mathx.half(3) == 1.5


def test_div():
    assert mathx.div(6, 4) == 1.5
