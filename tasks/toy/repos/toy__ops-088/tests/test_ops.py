import ops


def test_dec():
    assert ops.dec(5) == 4


def test_triple():
    assert ops.triple(4) == 12


def test_sub():
    assert ops.sub(8, 4) == 4
