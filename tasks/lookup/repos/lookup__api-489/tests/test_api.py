import api


def test_scale():
    assert api.scale(8, 3) == 2
