import api


def test_spread():
    assert api.spread(5, 2) == 25
