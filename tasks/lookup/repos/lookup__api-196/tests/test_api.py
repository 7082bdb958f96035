import api


def test_tally():
    assert api.tally(8, 4) == 2
