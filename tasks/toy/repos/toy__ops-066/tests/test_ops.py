import ops


def test_inc():
    assert ops.inc(8) == 9


def test_half():
    assert ops.half(9) == 4.5


def test_mul():
    assert ops.mul(7, 4) == 28
