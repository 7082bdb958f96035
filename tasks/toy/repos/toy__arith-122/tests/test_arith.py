import arith


def test_inc():
    assert arith.inc(6) == 7
