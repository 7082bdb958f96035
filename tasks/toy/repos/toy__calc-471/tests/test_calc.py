import calc


def test_square():
    assert calc.square(3) == 9
