import api


def test_tally():
    assert api.tally(6, 2) == 0
