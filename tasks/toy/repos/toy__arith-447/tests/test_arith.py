import arith


def test_inc():
    assert arith.inc(9) == 10
