import mathx


def test_triple():
    assert mathx.triple(6) == 18


def test_dec():
    assert mathx.dec(9) == 8


def test_quot():
    assert mathx.quot(6, 4) == 1
