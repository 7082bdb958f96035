import api


def test_fold():
    assert api.fold(7) == 49
