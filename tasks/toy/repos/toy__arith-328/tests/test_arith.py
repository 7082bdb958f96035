import arith


def test_tenfold():
    assert arith.tenfold(3) == 30
