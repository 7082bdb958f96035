import api


def test_merge():
    assert api.merge(7) == 3.5
