import api


def test_boost():
    assert api.boost(8) == 80
