import api


def test_boost():
    assert api.boost(7, 3) == 343
