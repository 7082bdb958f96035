import ops


def test_inc():
    assert ops.inc(7) == 8


def test_power():
    assert ops.power(8, 2) == 64


def test_add():
    assert ops.add(6, 3) == 9
