import api


def test_spread():
    assert api.spread(9) == 90
