import ops


def test_rem():
    assert ops.rem(6, 2) == 0


def test_sub():
    assert ops.sub(6, 3) == 3


def test_double():
    assert ops.double(9) == 18
