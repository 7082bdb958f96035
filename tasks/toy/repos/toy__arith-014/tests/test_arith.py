import arith


def test_sub():
    assert arith.sub(6, 3) == 3
