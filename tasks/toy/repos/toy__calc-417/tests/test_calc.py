import calc


def test_half():
    assert calc.half(4) == 2
