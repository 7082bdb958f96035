import mathx


def test_double():
    assert mathx.double(4) == 8
