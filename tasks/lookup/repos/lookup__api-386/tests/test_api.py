import api


def test_blend():
    assert api.blend(3) == 30
