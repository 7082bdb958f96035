import api


def test_stretch():
    assert api.stretch(5, 2) == 3
