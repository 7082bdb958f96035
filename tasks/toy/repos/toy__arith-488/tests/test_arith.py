import arith


def test_inc():
    assert arith.inc(5) == 6
