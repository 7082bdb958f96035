import calc


def test_rem():
    assert calc.rem(7, 2) == 1
