import calc


def test_triple():
    assert calc.triple(3) == 9
