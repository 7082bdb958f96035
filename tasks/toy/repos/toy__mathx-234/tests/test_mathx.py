import mathx


def test_quot():
    assert mathx.quot(5, 3) == 1
