import api


def test_fold():
    assert api.fold(9, 2) == 81
