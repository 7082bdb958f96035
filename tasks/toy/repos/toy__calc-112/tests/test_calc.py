import calc


def test_div():
    assert calc.div(9, 4) == 2.25
