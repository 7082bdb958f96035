import api


def test_fold():
    assert api.fold(8, 3) == 2
