import arith


def test_sub():
    assert arith.sub(9, 3) == 6
