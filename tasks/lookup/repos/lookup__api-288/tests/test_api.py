import api


def test_merge():
    assert api.merge(5) == 10
