import api


def test_merge():
    assert api.merge(3) == 6
