import mathx


def test_quot():
    assert mathx.quot(6, 3) == 2
