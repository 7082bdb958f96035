import api


def test_wrap():
    assert api.wrap(6, 4) == 1.5
