import arith


def test_quot():
    assert arith.quot(7, 2) == 3
