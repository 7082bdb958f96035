import api


def test_spread():
    assert api.spread(4) == 8
