import ops


def test_power():
    assert ops.power(9, 3) == 729
