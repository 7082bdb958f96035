import calc


def test_triple():
    assert calc.triple(5) == 15
