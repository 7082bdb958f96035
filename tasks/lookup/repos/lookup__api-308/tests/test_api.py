import api


def test_spread():
    assert api.spread(6) == 60
