import ops


def test_tenfold():
    assert ops.tenfold(5) == 50


def test_div():
    assert ops.div(6, 4) == 1.5


def test_half():
    assert ops.half(5) == 2.5
