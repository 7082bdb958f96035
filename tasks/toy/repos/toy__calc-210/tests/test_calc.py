import calc


def test_square():
    assert calc.square(8) == 64
