import calc


def test_sub():
    assert calc.sub(5, 4) == 1
