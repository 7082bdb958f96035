import mathx


def test_double():
    assert mathx.double(9) == 18
