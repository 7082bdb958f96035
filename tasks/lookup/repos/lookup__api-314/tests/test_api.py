import api


def test_shift():
    assert api.shift(7, 2) == 49
