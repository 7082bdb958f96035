import api


def test_pack():
    assert api.pack(7, 2) == 14
