import ops


def test_square():
    assert ops.square(8) == 64


def test_triple():
    assert ops.triple(5) == 15


def test_sub():
    assert ops.sub(6, 3) == 3
