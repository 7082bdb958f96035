import ops


def test_dec():
    assert ops.dec(6) == 5


def test_half():
    assert ops.half(5) == 2.5


def test_power():
    assert ops.power(9, 3) == 729
