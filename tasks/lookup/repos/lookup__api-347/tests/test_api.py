import api


def test_tally():
    assert api.tally(8, 2) == 4
