import ops


def test_half():
    assert ops.half(9) == 4.5


def test_rem():
    assert ops.rem(6, 3) == 0


def test_sub():
    assert ops.sub(9, 3) == 6
