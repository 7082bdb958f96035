import api


def test_merge():
    assert api.merge(4) == 12
