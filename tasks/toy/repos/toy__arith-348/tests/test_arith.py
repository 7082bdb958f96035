import arith


def test_inc():
    assert arith.inc(3) == 4
