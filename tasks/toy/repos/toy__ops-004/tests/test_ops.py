import ops


def test_tenfold():
    assert ops.tenfold(5) == 50
