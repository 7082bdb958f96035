import api


def test_blend():
    assert api.blend(4) == 5
