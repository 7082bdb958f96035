import ops


def test_sub():
    assert ops.sub(9, 4) == 5


def test_square():
    assert ops.square(3) == 9


def test_dec():
    assert ops.dec(9) == 8
