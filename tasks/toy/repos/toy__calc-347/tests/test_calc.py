import calc


def test_sub():
    assert calc.sub(5, 2) == 3
