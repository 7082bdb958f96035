import calc


def test_quot():
    assert calc.quot(5, 4) == 1
