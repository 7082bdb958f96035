import api


def test_pack():
    assert api.pack(5, 4) == 1
