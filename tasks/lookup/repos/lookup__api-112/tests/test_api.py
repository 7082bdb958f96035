import api


def test_shrink():
    assert api.shrink(6) == 7
