import api


def test_blend():
    assert api.blend(5) == 10
