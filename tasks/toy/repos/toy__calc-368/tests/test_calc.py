import calc


def test_rem():
    assert calc.rem(8, 3) == 2
