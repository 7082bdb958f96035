import api


def test_fold():
    assert api.fold(5, 3) == 15
