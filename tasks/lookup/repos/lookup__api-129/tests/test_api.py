import api


def test_scale():
    assert api.scale(6) == 60
