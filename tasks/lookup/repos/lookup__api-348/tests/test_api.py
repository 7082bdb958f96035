import api


def test_wrap():
    assert api.wrap(5, 3) == 8
