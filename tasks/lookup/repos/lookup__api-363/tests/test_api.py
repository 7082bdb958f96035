import api


def test_pack():
    assert api.pack(9, 2) == 4.5
