import mathx


def test_quot():
    assert mathx.quot(7, 3) == 2
