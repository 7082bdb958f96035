import api


def test_wrap():
    assert api.wrap(8) == 64
