import api


def test_bump():
    assert api.bump(5, 4) == 1.25
