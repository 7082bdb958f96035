import arith


def test_half():
    assert arith.half(5) == 2.5


def test_triple():
    assert arith.triple(5) == 15


def test_add():
    assert arith.add(9, 3) == 12
