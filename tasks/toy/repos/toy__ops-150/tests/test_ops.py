import ops


def test_dec():
    assert ops.dec(5) == 4


def test_div():
    assert ops.div(6, 4) == 1.5


def test_inc():
    assert ops.inc(9) == 10
