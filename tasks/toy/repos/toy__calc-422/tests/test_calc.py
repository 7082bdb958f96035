import calc


def test_tenfold():
    assert calc.tenfold(4) == 40
