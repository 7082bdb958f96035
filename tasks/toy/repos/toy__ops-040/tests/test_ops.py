import ops


def test_dec():
    assert ops.dec(9) == 8


def test_sub():
    assert ops.sub(8, 4) == 4


def test_half():
    assert ops.half(3) == 1.5
