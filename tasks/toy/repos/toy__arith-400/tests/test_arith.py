import arith


def test_dec():
    assert arith.dec(6) == 5
