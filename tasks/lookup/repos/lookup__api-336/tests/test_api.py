import api


def test_boost():
    assert api.boost(6, 2) == 36
