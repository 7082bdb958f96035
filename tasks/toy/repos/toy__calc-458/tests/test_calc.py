import calc


def test_half():
    assert calc.half(8) == 4
