import calc


def test_sub():
    assert calc.sub(9, 3) == 6
