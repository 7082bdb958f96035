import api


def test_boost():
    assert api.boost(7, 2) == 3.5
