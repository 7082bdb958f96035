import api


def test_scale():
    assert api.scale(3) == 30
