import calc


def test_sub():
    assert calc.sub(9, 2) == 7
