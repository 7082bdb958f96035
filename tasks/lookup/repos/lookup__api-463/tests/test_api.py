import api


def test_boost():
    assert api.boost(5, 3) == 1
