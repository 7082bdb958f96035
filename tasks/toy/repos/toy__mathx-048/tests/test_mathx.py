import mathx


def test_sub():
    assert mathx.sub(7, 4) == 3


def test_triple():
    assert mathx.triple(4) == 12


def test_half():
    assert mathx.half(5) == 2.5
