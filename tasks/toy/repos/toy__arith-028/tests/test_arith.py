import arith


def test_inc():
    assert arith.inc(8) == 9
