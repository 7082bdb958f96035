import mathx


def test_power():
    assert mathx.power(6, 2) == 36
