import ops


def test_quot():
    assert ops.quot(5, 4) == 1


def test_dec():
    assert ops.dec(7) == 6


def test_add():
    assert ops.add(9, 2) == 11
