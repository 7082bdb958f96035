import mathx


def test_half():
    assert mathx.half(8) == 4


def test_dec():
    assert mathx.dec(9) == 8


def test_triple():
    assert mathx.triple(6) == 18
