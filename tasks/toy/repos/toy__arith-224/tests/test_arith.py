import arith


def test_dec():
    assert arith.dec(4) == 3
