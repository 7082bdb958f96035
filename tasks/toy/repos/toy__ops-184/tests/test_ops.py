import ops


def test_rem():
    assert ops.rem(7, 4) == 3


def test_power():
    assert ops.power(7, 2) == 49


def test_inc():
    assert ops.inc(7) == 8
