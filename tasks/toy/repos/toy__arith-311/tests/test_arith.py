import arith


def test_quot():
    assert arith.quot(5, 4) == 1
