import api


def test_stretch():
    assert api.stretch(9) == 27
