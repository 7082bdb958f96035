import calc


def test_half():
    assert calc.half(7) == 3.5
