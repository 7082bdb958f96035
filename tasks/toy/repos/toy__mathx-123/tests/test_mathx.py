import mathx


def test_rem():
    assert mathx.rem(5, 4) == 1


def test_power():
    assert mathx.power(5, 2) == 25


def test_triple():
    assert mathx.triple(8) == 24
