import api


def test_trim():
    assert api.trim(5) == 15
