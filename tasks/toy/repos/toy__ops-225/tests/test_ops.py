import ops


def test_double():
    assert ops.double(3) == 6


def test_square():
    assert ops.square(6) == 36


def test_rem():
    assert ops.rem(5, 3) == 2
