import mathx


def test_tenfold():
    assert mathx.tenfold(5) == 50
