import ops


def test_rem():
    assert ops.rem(5, 4) == 1


def test_add():
    assert ops.add(8, 2) == 10


def test_power():
    assert ops.power(7, 2) == 49
