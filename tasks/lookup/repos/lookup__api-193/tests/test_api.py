import api


def test_stretch():
    assert api.stretch(7, 2) == 1
