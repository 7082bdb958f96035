import calc


def test_square():
    assert calc.square(6) == 36
