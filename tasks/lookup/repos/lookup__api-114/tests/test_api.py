import api


def test_wrap():
    assert api.wrap(6) == 5
