import api


def test_shrink():
    assert api.shrink(4) == 40
