import ops


def test_power():
    assert ops.power(5, 3) == 125
