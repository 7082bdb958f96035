import arith


def test_sub():
    assert arith.sub(5, 3) == 2
