import mathx


def test_dec():
    assert mathx.dec(3) == 2
