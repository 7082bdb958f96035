import ops


def test_square():
    assert ops.square(7) == 49


def test_tenfold():
    assert ops.tenfold(8) == 80


def test_half():
    assert ops.half(3) == 1.5
