import calc


def test_quot():
    assert calc.quot(9, 3) == 3
