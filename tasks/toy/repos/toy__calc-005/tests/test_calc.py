import calc


def test_div():
    assert calc.div(5, 4) == 1.25
