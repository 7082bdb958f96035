import ops


def test_tenfold():
    assert ops.tenfold(6) == 60
