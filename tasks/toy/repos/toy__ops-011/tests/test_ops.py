import ops


def test_power():
    assert ops.power(9, 3) == 729


def test_double():
    assert ops.double(7) == 14


def test_triple():
    assert ops.triple(9) == 27
