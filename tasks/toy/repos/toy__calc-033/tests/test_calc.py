import calc


def test_half():
    assert calc.half(9) == 4.5
