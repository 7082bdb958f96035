import ops


def test_triple():
    assert ops.triple(5) == 15


def test_double():
    assert ops.double(5) == 10


def test_div():
    assert ops.div(7, 4) == 1.75
