import api


def test_scale():
    assert api.scale(4) == 5
