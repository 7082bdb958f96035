import ops


def test_power():
    assert ops.power(8, 3) == 512
