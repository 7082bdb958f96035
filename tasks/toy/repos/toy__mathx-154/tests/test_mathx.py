import mathx


def test_mul():
    assert mathx.mul(9, 4) == 36


def test_triple():
    assert mathx.triple(9) == 27


def test_rem():
    assert mathx.rem(7, 4) == 3
