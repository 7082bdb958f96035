import calc


def test_half():
    assert calc.half(3) == 1.5
