import api


def test_boost():
    assert api.boost(3) == 4
