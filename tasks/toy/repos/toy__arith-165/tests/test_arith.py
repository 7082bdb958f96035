import arith


def test_dec():
    assert arith.dec(3) == 2
