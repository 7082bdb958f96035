import calc


def test_quot():
    assert calc.quot(8, 2) == 4
