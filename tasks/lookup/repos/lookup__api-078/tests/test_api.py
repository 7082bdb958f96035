import api


def test_bump():
    assert api.bump(8, 4) == 2
