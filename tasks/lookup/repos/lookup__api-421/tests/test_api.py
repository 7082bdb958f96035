import api


def test_merge():
    assert api.merge(6, 4) == 10
