import api


def test_pack():
    assert api.pack(8, 4) == 0
