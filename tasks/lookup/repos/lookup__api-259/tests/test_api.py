import api


def test_wrap():
    assert api.wrap(9, 4) == 2.25
