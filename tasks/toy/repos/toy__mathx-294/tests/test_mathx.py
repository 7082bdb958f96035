import mathx


def test_inc():
    assert mathx.inc(3) == 4
