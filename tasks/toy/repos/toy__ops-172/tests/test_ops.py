import ops


def test_dec():
    assert ops.dec(3) == 2


def test_rem():
    assert ops.rem(5, 3) == 2


def test_add():
    assert ops.add(5, 4) == 9
