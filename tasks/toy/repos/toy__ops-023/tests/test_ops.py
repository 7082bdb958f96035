import ops


def test_div():
    assert ops.div(6, 4) == 1.5


def test_half():
    assert ops.half(9) == 4.5


def test_triple():
    assert ops.triple(4) == 12
