import api


def test_spread():
    assert api.spread(7, 4) == 28
