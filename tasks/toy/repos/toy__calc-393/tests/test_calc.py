import calc


def test_quot():
    assert calc.quot(6, 3) == 2
