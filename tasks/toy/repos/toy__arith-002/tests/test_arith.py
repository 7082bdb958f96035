import arith


def test_sub():
    assert arith.sub(5, 2) == 3
