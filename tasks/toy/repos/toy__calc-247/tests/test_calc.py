import calc


def test_power():
    assert calc.power(8, 3) == 512


def test_triple():
    assert calc.triple(7) == 21


def test_square():
    assert calc.square(3) == 9
