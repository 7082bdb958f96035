import api


def test_bump():
    assert api.bump(3) == 30
