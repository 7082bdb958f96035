import api


def test_blend():
    assert api.blend(7, 4) == 1.75
