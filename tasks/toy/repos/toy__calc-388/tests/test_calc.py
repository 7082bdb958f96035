import calc


def test_half():
    assert calc.half(5) == 2.5
