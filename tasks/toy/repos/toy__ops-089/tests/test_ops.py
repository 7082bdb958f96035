import ops


def test_triple():
    assert ops.triple(4) == 12


def test_inc():
    assert ops.inc(8) == 9


def test_dec():
    assert ops.dec(7) == 6
