import api


def test_bump():
    assert api.bump(7, 3) == 2
