import api


def test_wrap():
    assert api.wrap(3) == 2
