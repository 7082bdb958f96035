import mathx


def test_tenfold():
    assert mathx.tenfold(4) == 40
