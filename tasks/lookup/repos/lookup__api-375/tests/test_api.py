import api


def test_shift():
    assert api.shift(9) == 8
