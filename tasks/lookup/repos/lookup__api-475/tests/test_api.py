import api


def test_merge():
    assert api.merge(9, 2) == 1
