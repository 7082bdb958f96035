import ops


def test_power():
    assert ops.power(7, 2) == 49


def test_triple():
    assert ops.triple(9) == 27


def test_double():
    assert ops.double(6) == 12
