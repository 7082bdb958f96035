import api


def test_bump():
    assert api.bump(8, 2) == 4
