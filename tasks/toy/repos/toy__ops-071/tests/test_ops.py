import ops


def test_dec():
    assert ops.dec(4) == 3


def test_half():
    assert ops.half(3) == 1.5


def test_double():
    assert ops.double(6) == 12
