import arith


def test_add():
    assert arith.add(5, 3) == 8
