import api


def test_blend():
    assert api.blend(8, 2) == 4
