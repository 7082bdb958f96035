import arith


def test_tenfold():
    assert arith.tenfold(7) == 70
