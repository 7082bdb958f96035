import calc


def test_tenfold():
    assert calc.tenfold(5) == 50
