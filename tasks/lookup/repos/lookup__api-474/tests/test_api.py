import api


def test_bump():
    assert api.bump(9, 2) == 4
