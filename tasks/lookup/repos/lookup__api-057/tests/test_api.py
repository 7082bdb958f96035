import api


def test_wrap():
    assert api.wrap(7, 2) == 3.5
