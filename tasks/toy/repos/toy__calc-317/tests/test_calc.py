import calc


def test_rem():
    assert calc.rem(6, 3) == 0
