import calc


def test_square():
    assert calc.square(5) == 25
