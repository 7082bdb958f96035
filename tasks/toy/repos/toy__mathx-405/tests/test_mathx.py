import mathx


def test_quot():
    assert mathx.quot(9, 4) == 2
