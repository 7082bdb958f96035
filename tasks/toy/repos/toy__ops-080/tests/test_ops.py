import ops


def test_square():
    assert ops.square(7) == 49


def test_double():
    assert ops.double(4) == 8


def test_dec():
    assert ops.dec(7) == 6
