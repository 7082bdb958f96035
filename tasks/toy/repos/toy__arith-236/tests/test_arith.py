import arith


def test_quot():
    assert arith.quot(6, 4) == 1
