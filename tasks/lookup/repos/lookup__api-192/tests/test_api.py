import api


def test_merge():
    assert api.merge(6, 3) == 3
