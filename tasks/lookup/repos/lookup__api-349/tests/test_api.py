import api


def test_trim():
    assert api.trim(3) == 2
