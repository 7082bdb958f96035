import ops


def test_quot():
    assert ops.quot(5, 2) == 2
