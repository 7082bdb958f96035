import calc


def test_tenfold():
    assert calc.tenfold(3) == 30
