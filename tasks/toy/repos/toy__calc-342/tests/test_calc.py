import calc


def test_div():
    assert calc.div(7, 2) == 3.5
