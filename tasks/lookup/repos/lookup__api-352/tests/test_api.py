import api


def test_spread():
    assert api.spread(8) == 64
