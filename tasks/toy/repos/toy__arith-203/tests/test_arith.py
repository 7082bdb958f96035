import arith


def test_add():
    assert arith.add(9, 4) == 13
