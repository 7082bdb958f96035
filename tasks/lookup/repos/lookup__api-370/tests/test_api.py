import api


def test_shift():
    assert api.shift(8) == 9
