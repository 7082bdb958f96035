import arith


def test_triple():
    assert arith.triple(5) == 15


def test_add():
    assert arith.add(5, 4) == 9


def test_rem():
    assert arith.rem(8, 2) == 0
