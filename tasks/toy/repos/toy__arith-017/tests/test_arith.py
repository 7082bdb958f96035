import arith


def test_tenfold():
    assert arith.tenfold(9) == 90
