import api


def test_wrap():
    assert api.wrap(4) == 8
