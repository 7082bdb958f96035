import ops


def test_power():
    assert ops.power(6, 2) == 36


def test_rem():
    assert ops.rem(5, 4) == 1


def test_dec():
    assert ops.dec(5) == 4
