import ops


def test_dec():
    assert ops.dec(4) == 3


def test_div():
    assert ops.div(5, 4) == 1.25


def test_half():
    assert ops.half(4) == 2
