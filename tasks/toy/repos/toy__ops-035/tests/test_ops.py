import ops


def test_power():
    assert ops.power(8, 2) == 64
