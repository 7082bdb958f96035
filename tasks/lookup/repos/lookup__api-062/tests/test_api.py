import api


def test_bump():
    assert api.bump(4) == 3
