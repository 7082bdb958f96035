import api


def test_bump():
    assert api.bump(6, 3) == 3
