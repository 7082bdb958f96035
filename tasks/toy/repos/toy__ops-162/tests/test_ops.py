import ops


def test_power():
    assert ops.power(9, 3) == 729


def test_quot():
    assert ops.quot(7, 3) == 2


def test_inc():
    assert ops.inc(5) == 6
