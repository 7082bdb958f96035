import mathx


def test_dec():
    assert mathx.dec(7) == 6


def test_triple():
    assert mathx.triple(7) == 21


def test_tenfold():
    assert mathx.tenfold(7) == 70
