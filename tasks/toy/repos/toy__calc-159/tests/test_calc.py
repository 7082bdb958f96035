import calc


def test_sub():
    assert calc.sub(6, 4) == 2
