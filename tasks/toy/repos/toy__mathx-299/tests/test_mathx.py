import mathx


def test_power():
    assert mathx.power(9, 3) == 729
