import api


def test_scale():
    assert api.scale(5, 2) == 2.5
