import api


def test_shrink():
    assert api.shrink(8, 2) == 64
