import api


def test_wrap():
    assert api.wrap(7) == 8
