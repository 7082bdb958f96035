import api


def test_pack():
    assert api.pack(4) == 5
