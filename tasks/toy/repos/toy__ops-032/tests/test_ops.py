import ops


def test_rem():
    assert ops.rem(7, 3) == 1


def test_half():
    assert ops.half(6) == 3


def test_quot():
    assert ops.quot(9, 3) == 3
