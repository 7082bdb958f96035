import ops


def test_tenfold():
    assert ops.tenfold(3) == 30
