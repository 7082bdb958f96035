import api


def test_scale():
    assert api.scale(9) == 81
