import api


def test_blend():
    assert api.blend(9, 4) == 13
