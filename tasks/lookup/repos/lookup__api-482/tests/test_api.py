import api


def test_spread():
    assert api.spread(3) == 6
