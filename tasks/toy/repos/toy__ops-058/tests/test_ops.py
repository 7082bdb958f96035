import ops


def test_quot():
    assert ops.quot(8, 4) == 2
