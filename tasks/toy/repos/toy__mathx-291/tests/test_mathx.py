import mathx


def test_tenfold():
    assert mathx.tenfold(3) == 30
