import api


def test_shrink():
    assert api.shrink(5) == 50
