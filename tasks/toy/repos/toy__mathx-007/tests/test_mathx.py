import mathx


def test_triple():
    assert mathx.triple(4) == 12


def test_rem():
    assert mathx.rem(9, 2) == 1


def test_square():
    assert mathx.square(6) == 36
