import ops


def test_dec():
    assert ops.dec(6) == 5


def test_add():
    assert ops.add(8, 4) == 12


def test_rem():
    assert ops.rem(7, 4) == 3
