import calc


def test_div():
    assert calc.div(8, 2) == 4
