import calc


def test_half():
    assert calc.half(6) == 3
