import ops


def test_inc():
    assert ops.inc(8) == 9


def test_quot():
    assert ops.quot(5, 3) == 1


def test_power():
    assert ops.power(5, 3) == 125
