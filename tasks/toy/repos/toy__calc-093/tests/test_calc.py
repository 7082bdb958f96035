import calc


def test_rem():
    assert calc.rem(6, 2) == 0
