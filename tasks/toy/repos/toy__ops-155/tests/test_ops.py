import ops


def test_quot():
    assert ops.quot(9, 4) == 2


def test_add():
    assert ops.add(9, 3) == 12


def test_power():
    assert ops.power(7, 2) == 49
