import api


def test_boost():
    assert api.boost(9, 2) == 4
