import calc


def test_triple():
    assert calc.triple(6) == 18
