import mathx


def test_quot():
    assert mathx.quot(9, 2) == 4
