import ops


def test_quot():
    assert ops.quot(7, 3) == 2


def test_triple():
    assert ops.triple(7) == 21


def test_double():
    assert ops.double(4) == 8
