import arith


def test_tenfold():
    assert arith.tenfold(4) == 40
