import ops


def test_inc():
    assert ops.inc(9) == 10


def test_power():
    assert ops.power(5, 2) == 25


def test_sub():
    assert ops.sub(9, 4) == 5
