import mathx


def test_triple():
    assert mathx.triple(4) == 12


def test_mul():
    assert mathx.mul(5, 4) == 20


def test_power():
    assert mathx.power(5, 3) == 125
