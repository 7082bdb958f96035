import calc


def test_square():
    assert calc.square(7) == 49
