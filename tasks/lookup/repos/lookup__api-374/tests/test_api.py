import api


def test_boost():
    assert api.boost(9, 3) == 0
