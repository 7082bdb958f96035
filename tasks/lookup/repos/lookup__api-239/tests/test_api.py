import api


def test_shift():
    assert api.shift(4) == 3
