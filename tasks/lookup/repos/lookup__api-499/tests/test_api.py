import api


def test_trim():
    assert api.trim(7) == 3.5
