import ops


def test_quot():
    assert ops.quot(7, 3) == 2
