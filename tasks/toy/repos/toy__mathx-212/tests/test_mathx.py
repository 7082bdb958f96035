import mathx


def test_power():
    assert mathx.power(5, 3) == 125
