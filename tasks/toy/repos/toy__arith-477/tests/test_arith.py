import arith


def test_sub():
    assert arith.sub(7, 3) == 4
