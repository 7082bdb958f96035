import api


def test_shift():
    assert api.shift(9, 2) == 1
