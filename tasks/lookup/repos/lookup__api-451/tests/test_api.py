import api


def test_stretch():
    assert api.stretch(3) == 30
