import api


def test_stretch():
    assert api.stretch(4) == 2
