import ops


def test_power():
    assert ops.power(6, 3) == 216


def test_square():
    assert ops.square(5) == 25


def test_double():
    assert ops.double(9) == 18
