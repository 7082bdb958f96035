import api


def test_tally():
    assert api.tally(7, 4) == 3
