import arith


def test_quot():
    assert arith.quot(9, 4) == 2
