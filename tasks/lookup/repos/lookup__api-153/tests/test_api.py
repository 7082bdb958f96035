import api


def test_fold():
    assert api.fold(6) == 36
