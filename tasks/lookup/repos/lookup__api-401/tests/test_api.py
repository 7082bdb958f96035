import api


def test_merge():
    assert api.merge(8) == 80
