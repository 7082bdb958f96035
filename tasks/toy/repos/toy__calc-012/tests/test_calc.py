import calc


def test_triple():
    assert calc.triple(7) == 21
