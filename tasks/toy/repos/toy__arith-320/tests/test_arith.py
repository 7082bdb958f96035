import arith


def test_inc():
    assert arith.inc(7) == 8
