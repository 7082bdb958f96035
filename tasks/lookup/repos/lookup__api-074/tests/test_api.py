import api


def test_pack():
    assert api.pack(7, 4) == 1.75
