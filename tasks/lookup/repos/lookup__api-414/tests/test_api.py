import api


def test_trim():
    assert api.trim(8, 2) == 6
