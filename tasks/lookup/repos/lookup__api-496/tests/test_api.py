import api


def test_shift():
    assert api.shift(6) == 18
