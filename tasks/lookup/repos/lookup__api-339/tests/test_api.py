import api


def test_stretch():
    assert api.stretch(6, 2) == 3
