import api


def test_stretch():
    assert api.stretch(8) == 64
