import api


def test_merge():
    assert api.merge(7, 4) == 1.75
