import api


def test_tally():
    assert api.tally(5) == 10
