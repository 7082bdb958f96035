import arith


def test_add():
    assert arith.add(6, 4) == 10
