import ops


def test_power():
    assert ops.power(6, 3) == 216
