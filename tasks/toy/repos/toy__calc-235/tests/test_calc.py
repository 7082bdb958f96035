import calc


def test_rem():
    assert calc.rem(7, 4) == 3
