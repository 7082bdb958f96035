import ops


def test_inc():
    assert ops.inc(3) == 4


def test_quot():
    assert ops.quot(9, 4) == 2


def test_add():
    assert ops.add(6, 4) == 10
