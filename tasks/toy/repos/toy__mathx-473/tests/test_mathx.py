import mathx


def test_inc():
    assert mathx.inc(8) == 9
