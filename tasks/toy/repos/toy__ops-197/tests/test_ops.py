import ops


def test_inc():
    assert ops.inc(4) == 5


def test_triple():
    assert ops.triple(8) == 24


def test_double():
    assert ops.double(7) == 14
