import arith


def test_add():
    assert arith.add(8, 4) == 12
