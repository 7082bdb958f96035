import calc


def test_tenfold():
    assert calc.tenfold(9) == 90
