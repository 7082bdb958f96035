import api


def test_shrink():
    assert api.shrink(7) == 49
