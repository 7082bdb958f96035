import api


def test_scale():
    assert api.scale(7) == 49
