import api


def test_tally():
    assert api.tally(3) == 9
