import ops


def test_quot():
    assert ops.quot(9, 4) == 2
