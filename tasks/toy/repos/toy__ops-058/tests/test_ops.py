import ops


def test_quot():
    assert ops.quot(8, 4) == 2


def test_inc():
    assert ops.inc(5) == 6


def test_add():
    assert ops.add(6, 2) == 8
