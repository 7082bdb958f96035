import ops


def test_dec():
    assert ops.dec(8) == 7
