import api


def test_blend():
    assert api.blend(8, 4) == 32
