import arith


def test_triple():
    assert arith.triple(4) == 12


def test_inc():
    assert arith.inc(4) == 5


def test_add():
    assert arith.add(6, 4) == 10
