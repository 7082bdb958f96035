import ops


def test_div():
    assert ops.div(5, 4) == 1.25


def test_inc():
    assert ops.inc(7) == 8


def test_dec():
    assert ops.dec(9) == 8
