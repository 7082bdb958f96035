import ops


def test_power():
    assert ops.power(5, 3) == 125


def test_add():
    assert ops.add(9, 2) == 11


def test_double():
    assert ops.double(8) == 16
