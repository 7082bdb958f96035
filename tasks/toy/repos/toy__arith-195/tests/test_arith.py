import arith


def test_tenfold():
    assert arith.tenfold(5) == 50
