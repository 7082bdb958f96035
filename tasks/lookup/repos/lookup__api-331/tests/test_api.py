import api


def test_trim():
    assert api.trim(9) == 27
