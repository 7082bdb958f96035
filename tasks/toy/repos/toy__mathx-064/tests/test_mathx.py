import mathx


def test_dec():
    assert mathx.dec(4) == 3
