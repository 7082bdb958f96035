import api


def test_pack():
    assert api.pack(8, 2) == 0
