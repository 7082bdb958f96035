import api


def test_fold():
    assert api.fold(3) == 9
