import arith


def test_add():
    assert arith.add(7, 2) == 9
