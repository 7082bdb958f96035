import ops


def test_tenfold():
    assert ops.tenfold(4) == 40
