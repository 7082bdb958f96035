import calc


def test_square():
    assert calc.square(4) == 16
