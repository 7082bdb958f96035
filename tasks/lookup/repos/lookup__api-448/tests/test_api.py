import api


def test_wrap():
    assert api.wrap(9, 3) == 729
