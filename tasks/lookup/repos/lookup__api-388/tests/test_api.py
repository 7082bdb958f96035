import api


def test_tally():
    assert api.tally(4) == 40
