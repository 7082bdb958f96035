import ops


def test_power():
    assert ops.power(7, 2) == 49
