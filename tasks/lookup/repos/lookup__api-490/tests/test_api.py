import api


def test_tally():
    assert api.tally(7, 2) == 3
