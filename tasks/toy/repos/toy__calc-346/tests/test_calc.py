import calc


def test_rem():
    assert calc.rem(9, 4) == 1
