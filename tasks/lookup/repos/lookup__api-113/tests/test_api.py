import api


def test_pack():
    assert api.pack(6, 3) == 18
