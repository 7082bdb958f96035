import api


def test_tally():
    assert api.tally(9, 2) == 4
