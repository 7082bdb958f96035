import calc


def test_rem():
    assert calc.rem(5, 3) == 2
