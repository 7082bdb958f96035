import ops


def test_double():
    assert ops.double(7) == 14


def test_square():
    assert ops.square(5) == 25


def test_inc():
    assert ops.inc(9) == 10
