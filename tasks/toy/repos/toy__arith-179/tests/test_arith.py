import arith


def test_sub():
    assert arith.sub(8, 2) == 6
