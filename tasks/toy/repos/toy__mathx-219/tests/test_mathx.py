import mathx


def test_inc():
    assert mathx.inc(7) == 8
