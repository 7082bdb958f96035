import api


def test_fold():
    assert api.fold(4) == 40
