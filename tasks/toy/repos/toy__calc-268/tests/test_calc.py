import calc


def test_sub():
    assert calc.sub(8, 4) == 4
