import calc


def test_triple():
    assert calc.triple(8) == 24
