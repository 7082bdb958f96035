import ops


def test_square():
    assert ops.square(9) == 81


def test_half():
    assert ops.half(3) == 1.5


def test_add():
    assert ops.add(7, 2) == 9
