import ops


def test_dec():
    assert ops.dec(4) == 3
