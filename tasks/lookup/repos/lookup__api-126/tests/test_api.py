import api


def test_shrink():
    assert api.shrink(9) == 90
