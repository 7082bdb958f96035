import mathx


def test_power():
    assert mathx.power(9, 2) == 81
