import api


def test_trim():
    assert api.trim(4) == 40
