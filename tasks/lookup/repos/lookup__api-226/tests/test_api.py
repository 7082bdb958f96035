import api


def test_scale():
    assert api.scale(7, 2) == 3.5
