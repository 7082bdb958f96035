import ops


def test_quot():
    assert ops.quot(6, 4) == 1
