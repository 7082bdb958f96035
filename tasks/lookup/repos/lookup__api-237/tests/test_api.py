import api


def test_boost():
    assert api.boost(4) == 40
