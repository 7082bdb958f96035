import ops


def test_half():
    assert ops.half(4) == 2


def test_square():
    assert ops.square(9) == 81


def test_add():
    assert ops.add(9, 3) == 12
