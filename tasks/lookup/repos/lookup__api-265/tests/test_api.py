import api


def test_blend():
    assert api.blend(7, 2) == 3.5
