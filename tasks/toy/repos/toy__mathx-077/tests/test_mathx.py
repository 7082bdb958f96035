import mathx


def test_dec():
    assert mathx.dec(7) == 6
