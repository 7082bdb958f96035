import api


def test_shift():
    assert api.shift(5, 3) == 1
