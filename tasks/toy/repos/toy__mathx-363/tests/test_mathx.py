import mathx


def test_inc():
    assert mathx.inc(4) == 5
