import arith


def test_dec():
    assert arith.dec(7) == 6
