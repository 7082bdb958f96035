import api


def test_trim():
    assert api.trim(6, 3) == 216
