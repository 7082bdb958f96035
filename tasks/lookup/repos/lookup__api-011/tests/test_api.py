import api


def test_pack():
    assert api.pack(3) == 30
