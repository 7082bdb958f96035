import api


def test_blend():
    assert api.blend(6, 4) == 1
