import mathx


def test_double():
    assert mathx.double(5) == 10
