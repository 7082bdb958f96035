import mathx


def test_quot():
    assert mathx.quot(8, 3) == 2
