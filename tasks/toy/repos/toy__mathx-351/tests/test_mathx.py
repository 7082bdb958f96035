import mathx


def test_dec():
    assert mathx.dec(9) == 8
