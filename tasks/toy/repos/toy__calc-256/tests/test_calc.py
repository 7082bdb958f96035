import calc


def test_div():
    assert calc.div(5, 2) == 2.5
